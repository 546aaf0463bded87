import { strict as assert } from "assert";
import { ipv4CidrWithin, isWorldOpen, parseCidr, worldOpenFamilies } from "../lib/cidr";

describe("network ranges, judged by the addresses they cover", () => {
    it("finds the whole internet however it is spelled", () => {
        for (const cidr of ["0.0.0.0/0", "10.1.2.3/0", "::/0", "0:0:0:0:0:0:0:0/0", "0000::/0", "::0/0", "1::/0"]) {
            assert.ok(isWorldOpen(cidr), cidr);
        }
        assert.deepEqual(worldOpenFamilies(["0.0.0.0/1", "128.0.0.0/1"]), ["IPv4"]);
        assert.deepEqual(worldOpenFamilies(["::/1", "8000::/1", "10.0.0.0/8"]), ["IPv6"]);
        assert.deepEqual(worldOpenFamilies(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1", "::/0"]), ["IPv4", "IPv6"]);
    });

    it("does not count a gap, a half, private ranges or malformed text as the internet", () => {
        assert.deepEqual(worldOpenFamilies(["0.0.0.0/1"]), []);
        assert.deepEqual(worldOpenFamilies(["0.0.0.0/2", "128.0.0.0/1"]), [], "64.0.0.0/2 is missing");
        assert.deepEqual(worldOpenFamilies(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]), []);
        assert.deepEqual(worldOpenFamilies(["0.0.0.0/33", "::/129", "1.2.3/0", "x::/0", "1:2:3:4:5:6:7:8:9/0"]), []);
        assert.ok(!isWorldOpen("::ffff:0.0.0.0/96"), "IPv4-mapped IPv6 is one /96 of IPv6");
    });

    it("parses both families to their first and last address", () => {
        assert.deepEqual(parseCidr("10.0.0.5/24"), { family: "IPv4", first: 0x0a000000n, last: 0x0a0000ffn });
        assert.deepEqual(parseCidr("2001:db8::/126"), {
            family: "IPv6",
            first: 0x20010db8000000000000000000000000n,
            last: 0x20010db8000000000000000000000003n,
        });
        assert.deepEqual(parseCidr("::ffff:192.0.2.1"), { family: "IPv6", first: 0xffffc0000201n, last: 0xffffc0000201n });
    });

    it("places one IPv4 range inside another", () => {
        assert.ok(ipv4CidrWithin("100.64.0.0/16", "100.64.0.0/10"));
        assert.ok(!ipv4CidrWithin("100.0.0.0/8", "100.64.0.0/10"));
        assert.ok(!ipv4CidrWithin("100.64.0.1", "100.64.0.0/10"), "a bare address is not a CIDR here");
    });
});
