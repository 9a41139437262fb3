/// The page's fixed parts: head and styles, escaping, tables.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func table(_ table: ReportTable) -> String {
        var html = "<table>\n"
        if let caption = table.caption { html += "<caption>\(escape(caption))</caption>\n" }
        html += "<thead><tr>" + table.header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>" + row.enumerated().map { index, cell in
                index == 0 ? "<th scope=\"row\">\(escape(cell))</th>" : "<td>\(escape(cell))</td>"
            }.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    static func head(title: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; margin: 0; color: #222; background: #fafafa; }
        header { padding: 18px 32px 8px; background: #fff; border-bottom: 1px solid #ddd; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        .sub { color: #555; margin: 0 0 8px; font-size: 13px; }
        main { padding: 8px 32px 32px; max-width: 1500px; }
        section { margin: 18px 0 26px; }
        h2 { font-size: 17px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        p { font-size: 13.5px; line-height: 1.45; max-width: 980px; }
        table { border-collapse: collapse; font-size: 12.5px; margin: 10px 0 14px; background: #fff; }
        caption { text-align: left; font-weight: bold; padding: 4px 0; }
        th, td { border: 1px solid #ddd; padding: 3px 9px; text-align: right; font-variant-numeric: tabular-nums; }
        th[scope=row], thead th { text-align: left; background: #f2f2f2; }
        .figures { display: flex; flex-wrap: wrap; gap: 14px; }
        figure { margin: 0; background: #fff; border: 1px solid #e2e2e2; padding: 6px; }
        figure img { display: block; max-width: 100%; height: auto; }
        figcaption { font-size: 12px; color: #444; padding: 4px 2px 0; }
        pre { font-size: 11.5px; background: #fff; border: 1px solid #ddd; padding: 10px; overflow-x: auto; }
        summary { cursor: pointer; font-weight: bold; }
        </style>
        </head>
        <body>

        """
    }
}
