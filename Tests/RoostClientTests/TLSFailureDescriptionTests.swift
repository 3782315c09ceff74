import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import Testing
@testable import RoostClient

/// What a user reads when https fails: verification failures name TLS, the
/// trust store and the fix; other failures read as an unreachable scheduler.
@Suite struct TLSFailureDescriptionTests {
    @Test func aHostNameMismatchIsAVerificationFailureNamingTheHost() {
        let failure = TLSFailureDescription.classify(NIOSSLExtraError.failedToValidateHostname, trust: .system, host: "10.0.0.5")
        guard case .tlsVerification(let message) = failure else { Issue.record("\(failure)"); return }
        #expect(message.contains("not valid for the host name '10.0.0.5'"), "\(message)")
    }

    @Test func anUnverifiedChainNamesTheTrustStoreAndTheFix() {
        #expect(TLSFailureDescription.unverified(.system).contains("system trust store"))
        #expect(TLSFailureDescription.unverified(.system).contains("--ca-cert FILE or set $ROOST_CA_CERT"))
        #expect(TLSFailureDescription.unverified(.privateCA(path: "/etc/roost/ca.pem")).contains("not signed by the CA in /etc/roost/ca.pem"))
        #expect(TLSFailureDescription.isVerificationFailure(
            "handshakeFailed(sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at x.cc:1]))"))
        #expect(!TLSFailureDescription.isVerificationFailure("handshakeFailed(sslError([error:OPENSSL_internal:WRONG_VERSION_NUMBER]))"))
    }

    @Test func otherFailuresAreUnreachableWithShortReasons() {
        #expect(TLSFailureDescription.classify(HTTPClientError.connectTimeout, trust: .system, host: "h") == .unreachable("connect timeout"))
        #expect(TLSFailureDescription.classify(NIOSSLError.uncleanShutdown, trust: .system, host: "h")
            == .unreachable("TLS handshake failed (is the scheduler serving https on this port?): uncleanShutdown"))
        #expect(TLSFailureDescription.reason("sslError([Error: 1 error:1:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER at /a/b.cc:12, "
            + "Error: 2 error:2:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER at /a/c.cc:3])") == "WRONG_VERSION_NUMBER")
        #expect(TLSFailureDescription.reason("eof") == "eof")
        #expect(TLSFailureDescription.classify(IOError(errnoCode: ECONNREFUSED, reason: "connect"), trust: .system, host: "h") == .unreachable("connection refused"))
        #expect(TLSFailureDescription.classify(TransportFailure.unreachable("x"), trust: .system, host: "h") == .unreachable("x"))
    }
}
