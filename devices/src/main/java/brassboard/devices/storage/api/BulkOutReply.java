package brassboard.devices.storage.api;

/** A device's answer to data the host sends on a bulk OUT endpoint. */
public enum BulkOutReply {
    /** The data was accepted. */
    ACK,
    /** The device is busy: the data was not taken; the host sends it again later. */
    NAK,
    /** The data was refused and the endpoint is halted until the host clears the halt. */
    STALL
}
