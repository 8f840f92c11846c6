package ai.wsbcn.norm.testing;

import java.io.ByteArrayOutputStream;

/**
 * JPEGs with an EXIF orientation tag, for the readers' "pixels as stored" tests: phones store a photo unrotated and
 * tag how to turn it for viewing; OpenCV's default read applies the tag, PIL (torchvision, TSM) and pycocotools do not.
 */
public final class ExifJpegs {

    private ExifJpegs() {}

    /**
     * {@code jpeg} with an APP1 "Exif" segment inserted after its SOI marker, whose one IFD entry is Orientation
     * (0x0112) = {@code orientation} (6: turn 90 degrees clockwise to view; 3: 180; 2: mirror).
     */
    public static byte[] withOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, first IFD at offset 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, count 1, value
            0, 0, 0, 0}; // no next IFD
        byte[] exif = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + exif.length + tiff.length; // the segment length counts its own two bytes
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(exif, 0, exif.length);
        out.write(tiff, 0, tiff.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
