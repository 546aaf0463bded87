/** True for a CIDR that admits every address: 0.0.0.0/0, ::/0 and their spellings. */
export function isWorldOpen(cidr: string): boolean {
    return /\/0$/.test(cidr.trim());
}

function ipv4ToNumber(address: string): number | undefined {
    const octets = address.split(".");
    if (octets.length !== 4 || octets.some((octet) => !/^\d{1,3}$/.test(octet) || Number(octet) > 255)) {
        return undefined;
    }
    return octets.reduce((value, octet) => value * 256 + Number(octet), 0);
}

interface Ipv4Range {
    first: number;
    last: number;
}

function parseIpv4Cidr(cidr: string): Ipv4Range | undefined {
    const [address, prefixText] = cidr.trim().split("/");
    const base = ipv4ToNumber(address);
    const prefix = Number(prefixText);
    if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
        return undefined;
    }
    const size = 2 ** (32 - prefix);
    const first = Math.floor(base / size) * size;
    return { first, last: first + size - 1 };
}

export function ipv4CidrWithin(inner: string, outer: string): boolean {
    const innerRange = parseIpv4Cidr(inner);
    const outerRange = parseIpv4Cidr(outer);
    return !!innerRange && !!outerRange && innerRange.first >= outerRange.first && innerRange.last <= outerRange.last;
}
