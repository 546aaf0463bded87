/**
 * What AWS answers to the invokes the program makes, for offline rendering. Values are AWS's
 * published figures (EC2 instance-type documentation, regional zone lists); nothing here feeds the
 * real engine, where the same invokes reach AWS.
 */
export const MOCK_ACCOUNT_ID = "111122223333";

export const REGION_ZONES: Record<string, string[]> = {
    "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
    "us-east-2": ["us-east-2a", "us-east-2b", "us-east-2c"],
    "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"],
    "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    "eu-central-1": ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
    "eu-north-1": ["eu-north-1a", "eu-north-1b", "eu-north-1c"],
    "ap-southeast-2": ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"],
    // Two-zone regions exist; tests use one to show the azCount limit.
    "us-west-1": ["us-west-1a", "us-west-1c"],
};

export interface InstanceTypeFacts {
    defaultVcpus: number;
    memorySize: number;
    maximumNetworkInterfaces: number;
    maximumIpv4AddressesPerInterface: number;
    supportedArchitectures: string[];
}

/** EC2 instance types as DescribeInstanceTypes reports them (vCPU, MiB, ENIs, IPv4 per ENI). */
export const INSTANCE_TYPES: Record<string, InstanceTypeFacts> = {
    "m5.large": { defaultVcpus: 2, memorySize: 8192, maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"] },
    "m5a.large": { defaultVcpus: 2, memorySize: 8192, maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"] },
    "m6i.large": { defaultVcpus: 2, memorySize: 8192, maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"] },
    "m6a.large": { defaultVcpus: 2, memorySize: 8192, maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"] },
    "m7i.large": { defaultVcpus: 2, memorySize: 8192, maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"] },
    "m5.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "m5a.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "m6i.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "m6a.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "m7i.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "m7a.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "m5.2xlarge": { defaultVcpus: 8, memorySize: 32768, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "m5a.2xlarge": {
        defaultVcpus: 8,
        memorySize: 32768,
        maximumNetworkInterfaces: 4,
        maximumIpv4AddressesPerInterface: 15,
        supportedArchitectures: ["x86_64"],
    },
    "m6i.2xlarge": {
        defaultVcpus: 8,
        memorySize: 32768,
        maximumNetworkInterfaces: 4,
        maximumIpv4AddressesPerInterface: 15,
        supportedArchitectures: ["x86_64"],
    },
    "m6a.2xlarge": {
        defaultVcpus: 8,
        memorySize: 32768,
        maximumNetworkInterfaces: 4,
        maximumIpv4AddressesPerInterface: 15,
        supportedArchitectures: ["x86_64"],
    },
    "m7i.2xlarge": {
        defaultVcpus: 8,
        memorySize: 32768,
        maximumNetworkInterfaces: 4,
        maximumIpv4AddressesPerInterface: 15,
        supportedArchitectures: ["x86_64"],
    },
    "c5.xlarge": { defaultVcpus: 4, memorySize: 8192, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "c5a.xlarge": { defaultVcpus: 4, memorySize: 8192, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "c6i.xlarge": { defaultVcpus: 4, memorySize: 8192, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "c6a.xlarge": { defaultVcpus: 4, memorySize: 8192, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "c7i.xlarge": { defaultVcpus: 4, memorySize: 8192, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["x86_64"] },
    "r5.large": { defaultVcpus: 2, memorySize: 16384, maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"] },
    "r6i.large": { defaultVcpus: 2, memorySize: 16384, maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 10, supportedArchitectures: ["x86_64"] },
    "m6g.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["arm64"] },
    "m7g.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["arm64"] },
    "m8g.xlarge": { defaultVcpus: 4, memorySize: 16384, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["arm64"] },
    "c7g.xlarge": { defaultVcpus: 4, memorySize: 8192, maximumNetworkInterfaces: 4, maximumIpv4AddressesPerInterface: 15, supportedArchitectures: ["arm64"] },
    "t3.large": { defaultVcpus: 2, memorySize: 8192, maximumNetworkInterfaces: 3, maximumIpv4AddressesPerInterface: 12, supportedArchitectures: ["x86_64"] },
    "m5.8xlarge": {
        defaultVcpus: 32,
        memorySize: 131072,
        maximumNetworkInterfaces: 8,
        maximumIpv4AddressesPerInterface: 30,
        supportedArchitectures: ["x86_64"],
    },
};
