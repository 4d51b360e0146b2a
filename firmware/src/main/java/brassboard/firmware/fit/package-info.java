/** FIT images (U-Boot's flattened image tree): building, signing and verifying them as U-Boot's verified boot does. */
package brassboard.firmware.fit;
