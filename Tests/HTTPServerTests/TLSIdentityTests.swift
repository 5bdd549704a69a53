@testable import HTTPServer
import Testing

struct TLSIdentityTests {
    @Test func subjectAltNamesTypeNamesAndAddressesAndDropWhatNoClientCanReach() {
        let names = TLSIdentity.subjectAltName(for: [
            "Example.Test", "[::1]", "0:0:0:0:0:0:0:1", "0.0.0.0", "::", "10.1.2.3", "bad,IP:1.1.1.1", "",
        ])
        #expect(names == "DNS:example.test,IP:::1,IP:10.1.2.3")
    }

    @Test func aSelfSignedIdentityIsPEMAndDiffersEachTime() throws {
        let first = try TLSIdentity.selfSigned(hosts: ["pcmock.test"])
        let second = try TLSIdentity.selfSigned(hosts: ["pcmock.test"])
        #expect(first.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(first.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(first.certificatePEM != second.certificatePEM)
        #expect(first.privateKeyPEM != second.privateKeyPEM)
    }
}
