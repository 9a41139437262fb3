import Foundation
@testable import Plot
import Testing

@Suite struct ColorMapTests {
    @Test func viridisRunsFromPurpleToYellow() {
        #expect(ColorMap.viridis.table.count == 256 && ColorMap.magma.table.count == 256)
        #expect(ColorMap.viridis.pixel(at: 0) == 0xFF44_0154)
        #expect(ColorMap.viridis.pixel(at: 1) == 0xFFFD_E725)
        #expect(ColorMap.viridis.pixel(at: -3) == ColorMap.viridis.pixel(at: 0))
        #expect(ColorMap.gray.pixel(at: 0.5) == 0xFF80_8080)
    }

    @Test func perceptualMapsGetLighterMonotonically() {
        for map in [ColorMap.viridis, .magma, .cividis, .gray] {
            let luminance = map.table.map { rgb -> Double in
                let c = Color(rgb: rgb)
                return 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue
            }
            #expect(zip(luminance.dropFirst(), luminance).allSatisfy { $0 >= $1 - 0.01 }, "\(map.name)")
        }
    }

    @Test func interpolatesBetweenTableEntries() {
        let map = ColorMap.gray
        #expect(abs(map.color(at: 0.25).red - 0.25) < 0.003)
    }
}

@Suite struct RasterTests {
    @Test func robustRangeIgnoresAHotPixelAndTheMask() {
        var values = [Float](repeating: 1, count: 1000)
        for i in 0..<1000 { values[i] = Float(i % 100) }
        values[7] = 1e9
        var mask = [UInt8](repeating: 0, count: 1000)
        mask[0..<500] = [UInt8](repeating: 1, count: 500)[...]
        let range = ColorRange.robust(values, mask: mask, scale: .linear)
        #expect(range.upperBound < 100 && range.lowerBound >= 0)
        let log = ColorRange.robust([0, -1, 10, 100, 1000], scale: .log)
        #expect(log.lowerBound >= 10)
    }

    @Test func pixelsMapValuesMaskAndInvalid() {
        let raster = Raster(width: 2, height: 2, values: [0, 1, .nan, -1], colorMap: .gray, scale: .log,
                            range: 0.1...1, mask: [0, 1, 0, 0], maskColor: Color(rgb: 0xFF0000, alpha: 1),
                            invalidColor: Color(rgb: 0x0000FF))
        let pixels = raster.pixels()
        #expect(pixels[0] == 0xFF00_00FF) // 0 on a log scale: invalid
        #expect(pixels[1] == 0xFFFF_0000) // masked, opaque mask colour
        #expect(pixels[2] == 0xFF00_00FF && pixels[3] == 0xFF00_00FF)
        let linear = Raster(width: 2, height: 1, values: [0, 1], colorMap: .gray, range: 0...1)
        #expect(linear.pixels() == [0xFF00_0000, 0xFFFF_FFFF])
    }

    @Test func histogramCountsInEqualBins() {
        let h = Histogram(of: [0.5, 1.5, 1.6, 9.9, 10, 11, .nan], bins: 10, range: 0...10)
        #expect(h.counts == [1, 2, 0, 0, 0, 0, 0, 0, 0, 2])
        #expect(h.edges.first == 0 && h.edges.last == 10)
        let log = Histogram(of: [0.5, 5, 50, -1], bins: 2, range: 0.1...100, scale: .log)
        #expect(log.counts == [1, 2] || log.counts == [2, 1])
    }
}

@Suite struct LayoutTests {
    @Test func legendAvoidsTheData() {
        let plot = Rect(x: 0, y: 0, width: 100, height: 100)
        // Points crowd the top right: the legend goes elsewhere.
        let points = (0..<20).map { _ in (95.0, 5.0) }
        let box = Legend.box(.auto, plot: plot, width: 30, height: 20, points: points)
        #expect(!box.contains(95, 5))
        #expect(Legend.box(.bottomLeft, plot: plot, width: 30, height: 20, points: []).y > 50)
    }

    @Test func histogramsAndBarsStartAtZero() {
        let axes = Axes(series: [.histogram(Histogram(edges: [1, 2, 3], counts: [5, 9]))])
        #expect(PanelScales.y(axes).lower == 0 && PanelScales.y(axes).upper > 9)
        #expect(PanelScales.x(axes) == Scale(.linear, 1, 3))
        let fixed = Axes(y: Axis(range: 2...4), series: [.line(Line(x: [0, 1], y: [0, 100]))])
        #expect(PanelScales.y(fixed) == Scale(.linear, 2, 4))
    }

    @Test func aFigureBecomesAPNGOfTheStatedSize() throws {
        var axes = Axes(title: "I(q)", x: Axis("q (Å⁻¹)", scale: .log), y: Axis("I (cm⁻¹)", scale: .log))
        let q = (1...100).map { Double($0) * 0.003 }
        axes.add(.line(Line(x: q, y: q.map { 1 / ($0 * $0) }, yError: q.map { 0.1 / ($0 * $0) }, label: "data")))
        let figure = Figure([axes, Axes(series: [.raster(Raster(width: 3, height: 2, values: [1, 2, 3, 4, 5, .nan]))])],
                            columns: 2, width: 400, height: 200)
        let png = try figure.png(pixelsPerPoint: 1.5)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height, big-endian, at bytes 16–23.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 600 && height == 300)
    }

    @Test func aFigureBecomesAnSVGDocumentWithItsText() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(getpid()).svg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let axes = Axes(title: "counts", x: Axis(categories: ["a", "b"]), y: Axis("n"), series: [.bars(Bars([3, 5]))])
        try Figure(axes, width: 300, height: 200).writeSVG(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("<svg") && text.contains("width=\"300") && text.contains("</svg>"))
    }
}
