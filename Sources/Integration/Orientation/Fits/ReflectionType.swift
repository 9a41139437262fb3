/// Where a reflection's intensity lies relative to the director (docs/reference/orientation.md §1.3): a
/// meridional reflection's I(χ) follows the orientation distribution f(χ − χ_director) itself; an equatorial one
/// (rods and chains, side-by-side correlations) is the great-circle projection of f, peaked ⊥ the director.
public enum ReflectionType: String, Sendable, Equatable, CaseIterable {
    case equatorial, meridional
}
