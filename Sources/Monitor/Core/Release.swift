/// The release of pbmonitor: shown by `pbmonitor --version`, `/-/version` and the OpenAPI document.
public enum Release {
    public static let version = "0.1.0"
}
