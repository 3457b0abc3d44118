import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built binary and captures its output.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum CommandRunner {
    /// Runs `pbmonitor` with arguments and waits for it to finish.
    /// `input` is written to its standard input (then closed).
    public static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = Fixtures.binary
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.repositoryRoot
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Output goes to files, not pipes: reading one pipe to its end while the child fills the other (more than the
        // 64 kB a pipe holds) left both waiting for ever — a test that hung with every thread idle (issue 17, finding 11).
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("pbmonitor-out-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent("pbmonitor-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        // A command that never ends is a failure with its output, not a hang.
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        var timedOut = false
        if process.isRunning { timedOut = true; process.terminate() }
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        let errText = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessResult(status: process.terminationStatus, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                             stderr: timedOut ? errText + "\n[test: na \(Int(timeout)) s gestopt]" : errText)
    }

    /// How long one command may run in a test.
    public static let timeout: TimeInterval = 600

    /// `run` on its own thread, so a test that serves the command from this process (a loopback stand-in for an API)
    /// does not hold one of the few cooperative threads while it waits; the stand-in's handlers need them.
    public static func runAsync(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                do { continuation.resume(returning: try run(arguments, environment: environment, input: input)) } catch { continuation.resume(throwing: error) }
            }.start()
        }
    }

    /// A free TCP port on loopback.
    public static func freePort() -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { return Int.random(in: 20000...45000) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
        #else
        return Int.random(in: 20000...45000)
        #endif
    }
}

/// A `pbmonitor serve` process on a free loopback port, for end-to-end and browser tests.
public final class ServerProcess: @unchecked Sendable {
    public let port: Int
    public let process: Process
    public let output: URL
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server and waits until `/-/health` answers (or the timeout passes).
    public init(database: String, extraArguments: [String] = [], timeout: TimeInterval = 300) async throws {
        port = CommandRunner.freePort()
        process = Process()
        process.executableURL = Fixtures.binary
        process.arguments = ["serve", "--database", database, "--port", String(port)] + extraArguments
        process.currentDirectoryURL = Fixtures.repositoryRoot
        output = FileManager.default.temporaryDirectory.appendingPathComponent("pbmonitor-serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning { throw ServerError.exited(log) }
            if let (status, _) = try? await get("/-/health"), status == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        stop()
        throw ServerError.timeout(log)
    }

    public enum ServerError: Error { case exited(String), timeout(String) }

    /// What the server printed so far.
    public var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// GET a path; returns status and body.
    public func get(_ path: String) async throws -> (Int, String) {
        try await HTTPProbe.get(baseURL + path)
    }

    /// Stops the server with SIGTERM (a graceful shutdown), and with SIGKILL if it has not ended within 10 s. Never waits
    /// without a limit: a blocked `waitUntilExit` holds one of the few threads every test shares.
    public func stop() {
        if process.isRunning { process.terminate() }
        for _ in 0..<200 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: output)
    }
}

/// An HTTP request through curl, with a time limit, awaited by polling — never a continuation resumed by a termination
/// handler (one that never fired left a browser test suspended for ever, issue 17) and never FoundationNetworking's
/// `URLSession` (it once left a request unanswered for ever after its server had closed a pooled connection: a CI run
/// stood still for 20 minutes, every thread idle). Task.sleep also ends the wait when a test's time limit cancels it.
public enum Curl {
    public enum CurlError: Error { case failed(String) }

    /// Runs curl with `arguments` (method, headers, body, URL); returns its exit code, the HTTP status (0 when nothing
    /// answered) and the body.
    public static func run(_ arguments: [String], timeout: Int = 120) async throws -> (exitCode: Int32, status: Int, body: Data) {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let statusFile = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString).status")
        defer { try? FileManager.default.removeItem(at: statusFile) }
        _ = FileManager.default.createFile(atPath: statusFile.path, contents: nil)
        let statusHandle = try FileHandle(forWritingTo: statusFile)
        defer { try? statusHandle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "--max-time", String(timeout), "-o", outputFile.path, "-w", "%{http_code}"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = statusHandle
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(TimeInterval(timeout + 10))
        do {
            while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        } catch {
            process.terminate()
            throw error
        }
        if process.isRunning { process.terminate(); throw CurlError.failed("curl \(arguments.last ?? ""): geen antwoord binnen \(timeout) s") }
        let status = Int((try? String(contentsOf: statusFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        return (process.terminationStatus, status, (try? Data(contentsOf: outputFile)) ?? Data())
    }
}

/// A GET with a time limit (``Curl``).
public enum HTTPProbe {
    /// Status and body of `url` (status 0 when nothing answered).
    public static func get(_ url: String, timeout: Int = 120) async throws -> (Int, String) {
        let (exitCode, status, body) = try await Curl.run([url], timeout: timeout)
        if exitCode != 0 && status == 0 { throw Curl.CurlError.failed("curl \(url): \(exitCode)") }
        return (status, String(decoding: body, as: UTF8.self))
    }
}
