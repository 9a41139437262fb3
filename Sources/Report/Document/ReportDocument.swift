import Foundation
import Plot

/// A figure of a report with its caption.
public struct ReportFigure: Sendable {
    public var caption: String
    public var figure: Figure

    public init(_ caption: String, _ figure: Figure) { (self.caption, self.figure) = (caption, figure) }
}

/// A table of a report.
public struct ReportTable: Sendable {
    public var caption: String?
    public var header: [String]
    public var rows: [[String]]

    public init(caption: String? = nil, header: [String], rows: [[String]]) {
        (self.caption, self.header, self.rows) = (caption, header, rows)
    }
}

/// A titled part of a report: text, tables and figures, in that order.
public struct ReportSection: Sendable {
    public var title: String
    public var paragraphs: [String]
    public var tables: [ReportTable]
    public var figures: [ReportFigure]

    public init(_ title: String, paragraphs: [String] = [], tables: [ReportTable] = [], figures: [ReportFigure] = []) {
        (self.title, self.paragraphs, self.tables, self.figures) = (title, paragraphs, tables, figures)
    }
}

/// One self-contained HTML page: figures inline as PNG, styles inline, no script and nothing fetched.
public struct ReportDocument: Sendable {
    public var title: String
    public var subtitle: String
    public var sections: [ReportSection]
    /// Text shown folded at the end (the run's configuration).
    public var appendix: (title: String, text: String)?

    public init(title: String, subtitle: String, sections: [ReportSection], appendix: (title: String, text: String)? = nil) {
        (self.title, self.subtitle, self.sections, self.appendix) = (title, subtitle, sections, appendix)
    }

    /// Every figure of the document, in order.
    public var figures: [ReportFigure] { sections.flatMap(\.figures) }

    /// The page; figures are drawn as PNG at `pixelsPerPoint`.
    public func html(pixelsPerPoint: Double = 2) throws -> String {
        var page = HTML.head(title: title)
        page += "<header><h1>\(HTML.escape(title))</h1><p class=\"sub\">\(HTML.escape(subtitle))</p></header>\n<main>\n"
        var number = 0
        for section in sections {
            page += "<section>\n<h2>\(HTML.escape(section.title))</h2>\n"
            for paragraph in section.paragraphs { page += "<p>\(HTML.escape(paragraph))</p>\n" }
            for table in section.tables { page += HTML.table(table) }
            if !section.figures.isEmpty { page += "<div class=\"figures\">\n" }
            for figure in section.figures {
                number += 1
                let png = try figure.figure.png(pixelsPerPoint: pixelsPerPoint)
                page += "<figure><img src=\"data:image/png;base64,\(Data(png).base64EncodedString())\" "
                    + "width=\"\(Int(figure.figure.width))\" height=\"\(Int(figure.figure.height))\" "
                    + "alt=\"\(HTML.escape(figure.caption))\">"
                    + "<figcaption style=\"max-width:\(Int(figure.figure.width))px\"><b>Figure \(number).</b> \(HTML.escape(figure.caption))</figcaption></figure>\n"
            }
            if !section.figures.isEmpty { page += "</div>\n" }
            page += "</section>\n"
        }
        if let appendix {
            page += "<section><details><summary>\(HTML.escape(appendix.title))</summary><pre>"
                + HTML.escape(appendix.text) + "</pre></details></section>\n"
        }
        page += "</main>\n</body>\n</html>\n"
        return page
    }

    /// Writes the page to `path` under a temporary name and renames it into place.
    public func write(to path: String, pixelsPerPoint: Double = 2) throws {
        let page = try html(pixelsPerPoint: pixelsPerPoint)
        do { try page.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw ReportError("\(path): cannot write the report: \(error.localizedDescription)")
        }
    }
}

/// A report that could not be made: one line naming the file or dataset at fault.
public struct ReportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
