/// Which items a report shows when it cannot show all.
public enum ItemSample {
    /// At most `count` of `items`, evenly spread from the first to the last (all of them when there are fewer).
    public static func spread(_ items: [Int], count: Int) -> [Int] {
        guard items.count > count, count > 0 else { return items }
        if count == 1 { return [items[0]] }
        return (0..<count).map { items[$0 * (items.count - 1) / (count - 1)] }
    }
}
