package io.otaprio.duis;

/**
 * The outcome of {@link DuisParser#parse}: a value, never an exception. A refused document's reason is
 * {@link DuisMessage#detail()}, one of the {@link DuisDetail} constants.
 */
public enum DuisStatus
{
    /** The document was read: every field the engine needs is in the {@link DuisMessage}. */
    OK,

    /** The document was refused; {@link DuisMessage#detail()} says why. */
    MALFORMED
}
