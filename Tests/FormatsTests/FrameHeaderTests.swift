import Foundation
import LibTIFF
import Testing
import Formats

/// Pilatus TIFF headers: the lines of the shipped frame's ImageDescription (as tifffile prints them) and its
/// DateTime, and the shipped frame itself read through libtiff.
@Suite struct FrameHeaderTests {
    static let description = """
        # Pixel_size 172e-6 m x 172e-6 m\r
        # Silicon sensor, thickness 0.000450 m\r
        # Exposure_time 10.0000000 s\r
        # Exposure_period 10.0000000 s\r
        # Image_path: /home/det/images/140128_amenitsch/\r
        # Wavelength 1.54987 A\r

        """

    @Test func pilatusLinesAndTheTIFFDate() {
        let header = FrameHeader(pilatusDescription: Self.description, dateTime: "2014:01:31 12:26:52")
        #expect(header.exposureTime == 10)
        #expect(header.imagePath == "/home/det/images/140128_amenitsch/")
        #expect(header.acquired == "2014-01-31T12:26:52")
    }

    @Test func newerPilatusDateLineMillisecondsAndNothing() {
        let header = FrameHeader(pilatusDescription: "# 2021-03-04T05:06:07.089\n# Exposure_time 250 ms\n",
                                 dateTime: nil)
        #expect(header.acquired == "2021-03-04T05:06:07.089")
        #expect(header.exposureTime == 0.25)
        #expect(FrameHeader(pilatusDescription: "not a header", dateTime: "yesterday") == FrameHeader())
    }

    @Test func theShippedFrame() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/saxsdog/buf1_00000.tif").path
        let header = try SingleFrameTIFF(path: path).header(0)
        #expect(header == FrameHeader(pilatusDescription: Self.description, dateTime: "2014:01:31 12:26:52"))
    }
}
