/// The release of pbmonitor and the credit its data carry, written once: `pbmonitor --version`, `/-/version`, the
/// OpenAPI document, every page's footer, API answers and downloads read them from here.
public enum Release {
    public static let version = "0.1.0"

    /// Who made the bundled open data (figures, area boundaries, maps).
    public static let dataSource = "CBS / PDOK"
    /// Their licence, as people read it and as an SPDX identifier, with its text.
    public static let licence = "CC BY 4.0"
    public static let licenceSPDX = "CC-BY-4.0"
    public static let licenceURL = "https://creativecommons.org/licenses/by/4.0/"
    /// The one line of credit: "Bron: CBS / PDOK, CC BY 4.0".
    public static let attribution = "Bron: \(dataSource), \(licence)"
}
