package brassboard.devices.storage.api;

/** A device's answer to data the host sends on a bulk OUT endpoint. */
public enum BulkOutReply {
    /** The data was accepted. */
    ACK,
    /** The data was refused and the endpoint is halted until the host clears the halt. */
    STALL
}
