package io.otaprio.journal;

/**
 * Byte layout of one policy record as the policy journal ({@code DIR/policy}) stores it: one Chronicle document per
 * policy generation put in force, little-endian, 64 bytes and the policy file's path.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |     layout version (u16)      |   source length in bytes (u16)|  0
 *  +-------------------------------+-------------------------------+
 *  |                        reserved, zero (u32)                   |  4
 *  +---------------------------------------------------------------+
 *  |                        generation (i64)                       |  8
 *  +---------------------------------------------------------------+
 *  |               in force from, epoch nanos (i64)                | 16
 *  +---------------------------------------------------------------+
 *  |        first message id classified by it (i64)                | 24
 *  +---------------------------------------------------------------+
 *  |         SHA-256 of the policy file's bytes (32 bytes)         | 32
 *  +---------------------------------------------------------------+
 *  |   source: the policy file's path, UTF-8 (source length bytes) | 64
 *  +---------------------------------------------------------------+
 * </pre>
 * The first message id makes the record exact where a time could not be: every message admitted with an id at or
 * above it, and below the next generation's, was classified by this generation.
 */
public final class PolicyRecordDescriptor
{
    /** The layout version this class describes. */
    public static final short LAYOUT_VERSION = 1;

    /** Offset of the layout version (u16). */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the source's length in bytes (u16). */
    public static final int SOURCE_LENGTH_OFFSET = 2;
    /** Offset of the generation (i64). */
    public static final int GENERATION_OFFSET = 8;
    /** Offset of the time it came in force (i64). */
    public static final int IN_FORCE_OFFSET = 16;
    /** Offset of the first message id it classified (i64). */
    public static final int FROM_MESSAGE_ID_OFFSET = 24;
    /** Offset of the policy file's SHA-256 (32 bytes). */
    public static final int DIGEST_OFFSET = 32;
    /** Length of the digest. */
    public static final int DIGEST_LENGTH = 32;
    /** Offset of the source path. */
    public static final int SOURCE_OFFSET = 64;
    /** The longest source path kept, in UTF-8 bytes; a longer one is cut at a character boundary before it. */
    public static final int MAX_SOURCE_LENGTH = 4096;

    private PolicyRecordDescriptor()
    {
    }
}
