import { TAG_CHARACTERS, TAG_CHARACTERS_TEXT, TAG_KEY_MAX, TAG_VALUE_MAX } from "../components/common/awsTags";
import type { ConfigProblem } from "./problems";

/**
 * The naming rules of every place a configured name ends up, checked before anything is
 * registered. A capability declares its names (`names(settings, facts)` in its section): each is
 * the name a resource gets, built by the same function its component uses, with the setting it
 * comes from and the rule of where it lands. Sources: each service's API reference (the length and
 * pattern of the parameter), Kubernetes' apimachinery validation (IsDNS1123Label,
 * IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName, IsValidLabelValue), and the Pulumi AWS
 * provider's auto-naming (a dash and 7 random characters after the resource's name).
 */
export interface NameRule {
    /** Where the name lands, for the message: "an IAM role name". */
    readonly what: string;
    /** Every rule the name breaks, as phrases ("is 70 characters long; at most 64"); empty when it is valid. */
    check(name: string): string[];
}

/** One name a configuration produces, and where it lands. */
export interface NameUse {
    /** The setting the name comes from (the problem's path). */
    path: string;
    /** The value written at that path (undefined when the name comes from a default). */
    value: unknown;
    /** The name as the resource gets it. */
    name: string;
    rule: NameRule;
    /** How the name is made from the setting, when it is not the setting itself: "<cluster>-<pool>". */
    composedAs?: string;
    /** What to change, when it is not the setting at `path` itself. */
    remedy?: string;
}

interface Spec {
    min?: number;
    max: number;
    /** The characters (and shape) allowed, and how to say so. */
    pattern?: RegExp;
    patternText?: string;
    /** Further rules: each returns a phrase when broken. */
    extra?: ((name: string) => string | undefined)[];
}

function rule(what: string, spec: Spec): NameRule {
    return {
        what,
        check(name: string): string[] {
            const broken: string[] = [];
            if (name.length > spec.max || name.length < (spec.min ?? 1)) {
                const range = spec.min && spec.min > 1 ? `${spec.min} to ${spec.max}` : `at most ${spec.max}`;
                broken.push(`is ${name.length} characters long; ${range} are allowed`);
            }
            if (spec.pattern && !spec.pattern.test(name)) {
                broken.push(`may hold only ${spec.patternText}`);
            }
            for (const check of spec.extra ?? []) {
                const phrase = check(name);
                if (phrase) {
                    broken.push(phrase);
                }
            }
            return broken;
        },
    };
}

const noPrefix = (prefix: string, owner: string) => (name: string) =>
    name.startsWith(prefix) ? `must not start with "${prefix}" (reserved by ${owner})` : undefined;
const noDoubleHyphen = (name: string) => (name.includes("--") ? 'must not contain "--"' : undefined);
const hyphenEnds = (name: string) => (/^-|-$/.test(name) ? "must not start or end with a hyphen" : undefined);

/** What Pulumi's AWS provider adds to an auto-named resource's name: a dash and 7 random characters. */
const AUTONAME_SUFFIX = "-xxxxxxx";

/** The physical name of an auto-named AWS resource: its Pulumi name with the provider's random suffix. */
export function autoname(resourceName: string): string {
    return `${resourceName}${AUTONAME_SUFFIX}`;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** EKS CreateCluster: name 1-100, ^[0-9A-Za-z][A-Za-z0-9\-_]*$. */
export const EKS_CLUSTER = rule("an EKS cluster name", {
    max: 100,
    pattern: /^[0-9A-Za-z][A-Za-z0-9\-_]*$/,
    patternText: "letters, digits, - and _, starting with a letter or digit",
});

/** IAM CreateRole RoleName: 1-64 of [\w+=,.@-]; auto-named roles carry the provider's suffix. */
export const IAM_ROLE = rule("an IAM role name", { max: 64, pattern: /^[\w+=,.@-]+$/, patternText: "letters, digits and +=,.@_-" });
/** IAM user names: 1-64 of [\w+=,.@-]. */
export const IAM_USER = rule("an IAM user name", { max: 64, pattern: /^[\w+=,.@-]+$/, patternText: "letters, digits and +=,.@_-" });
/** IAM paths: 1-512, "/" or "/.../" of printable ASCII. */
export const IAM_PATH = rule("an IAM path", { max: 512, pattern: /^\/([\x21-\x7e]*\/)?$/, patternText: 'printable ASCII between "/" delimiters' });
/** IAM policy (managed and inline) and instance profile names: 1-128 of [\w+=,.@-]. */
export const IAM_POLICY_OR_PROFILE = rule("an IAM policy or instance profile name", {
    max: 128,
    pattern: /^[\w+=,.@-]+$/,
    patternText: "letters, digits and +=,.@_-",
});

/** Auto Scaling CreateAutoScalingGroup: name 1-255 (XmlStringMaxLen255). */
export const AUTOSCALING_GROUP = rule("an Auto Scaling group name", { max: 255, pattern: /^[^:]*$/, patternText: 'characters other than ":"' });
/** EC2 CreateLaunchTemplate: name 3-128 of [a-zA-Z0-9().\-/_]. */
export const LAUNCH_TEMPLATE = rule("a launch template name", {
    min: 3,
    max: 128,
    pattern: /^[a-zA-Z0-9().\-/_]+$/,
    patternText: "letters, digits and ().-/_",
});
/** Auto Scaling PutLifecycleHook: name 1-255 of [A-Za-z0-9\-_/]. */
export const LIFECYCLE_HOOK = rule("a lifecycle hook name", { max: 255, pattern: /^[A-Za-z0-9\-_/]+$/, patternText: "letters, digits and -_/" });
/** CloudWatch Logs CreateLogGroup: name 1-512 of [.\-_/#A-Za-z0-9]. */
export const LOG_GROUP = rule("a CloudWatch log group name", { max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, patternText: "letters, digits and .-_/#" });
/** SQS CreateQueue: name 1-80 of alphanumerics, hyphens and underscores. */
export const SQS_QUEUE = rule("an SQS queue name", { max: 80, pattern: /^[A-Za-z0-9_-]+$/, patternText: "letters, digits, - and _" });
/** EventBridge PutRule: name 1-64 of [.\-_A-Za-z0-9]. */
export const EVENTBRIDGE_RULE = rule("an EventBridge rule name", { max: 64, pattern: /^[.\-_A-Za-z0-9]+$/, patternText: "letters, digits and .-_" });
/** Athena CreateWorkGroup: name 1-128 of [a-zA-Z0-9._-]. */
export const ATHENA_WORKGROUP = rule("an Athena workgroup name", { max: 128, pattern: /^[a-zA-Z0-9._-]+$/, patternText: "letters, digits and ._-" });
/** EFS CreateFileSystem: creation token 1-64. */
export const EFS_CREATION_TOKEN = rule("an EFS creation token", { max: 64 });
/** KMS CreateAlias: alias/<name>, 1-256 of [a-zA-Z0-9/_-], never under alias/aws/. */
export const KMS_ALIAS = rule("a KMS alias", {
    max: 256,
    pattern: /^alias\/[a-zA-Z0-9/_-]+$/,
    patternText: "letters, digits and /_- after alias/",
    extra: [noPrefix("alias/aws/", "AWS-managed keys")],
});
/** AWS tags (components/common/awsTags.ts): keys 1-128 characters, values at most 256, of the set every tagged service accepts; keys starting "aws:" are AWS's. */
export const TAG_KEY = rule("an AWS tag key", {
    max: TAG_KEY_MAX,
    pattern: TAG_CHARACTERS,
    patternText: TAG_CHARACTERS_TEXT,
    extra: [(name) => (name.toLowerCase().startsWith("aws:") ? 'must not start with "aws:" (reserved by AWS)' : undefined)],
});
export const TAG_VALUE = rule("an AWS tag value", {
    min: 0,
    max: TAG_VALUE_MAX,
    pattern: TAG_CHARACTERS,
    patternText: TAG_CHARACTERS_TEXT,
});

/**
 * Amazon S3 general purpose bucket naming rules. The reserved prefixes and suffixes belong to access
 * point aliases, Object Lambda, Multi-Region Access Points, directory buckets, table buckets and the
 * account-regional namespace, which this program does not create buckets in.
 */
const S3_RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const S3_RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3", "-an"];
const s3Rules: Spec = {
    min: 3,
    max: 63,
    pattern: /^[a-z0-9.-]*$/,
    patternText: "lowercase letters, digits, dots and hyphens",
    extra: [
        (name) => (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name) ? "must begin and end with a lowercase letter or a digit" : undefined),
        (name) => (name.includes("..") ? "must not contain two adjacent dots" : undefined),
        (name) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(name) ? "must not be formatted as an IP address" : undefined),
        (name) => S3_RESERVED_PREFIXES.filter((p) => name.startsWith(p)).map((p) => `must not start with "${p}" (reserved by S3)`)[0],
        (name) => S3_RESERVED_SUFFIXES.filter((s) => name.endsWith(s)).map((s) => `must not end with "${s}" (reserved by S3)`)[0],
    ],
};
/** A bucket name S3 accepts. */
export const S3_BUCKET = rule("an S3 bucket name", s3Rules);
/**
 * A bucket this program writes to over HTTPS in virtual-hosted style (Fluent Bit, Athena): a dot
 * in the name breaks the certificate match of <bucket>.s3.<region>.amazonaws.com.
 */
export const S3_BUCKET_HTTPS = rule("an S3 bucket name reached over HTTPS", {
    ...s3Rules,
    extra: [
        ...(s3Rules.extra ?? []),
        (name) => (name.includes(".") ? "must not contain dots: HTTPS to <bucket>.s3.<region>.amazonaws.com fails its certificate check" : undefined),
    ],
});

/** S3 bucket naming problems as phrases (also the bootstrap's buckets). */
export function bucketNameProblems(name: string): string[] {
    return S3_BUCKET.check(name);
}

/** VPC Lattice CreateServiceNetwork: name 3-63, ^(?![-])(?!.*[-]$)(?!.*[-]{2})[a-z0-9-]+$. */
export const LATTICE_SERVICE_NETWORK = rule("a VPC Lattice service network name", {
    min: 3,
    max: 63,
    pattern: /^[a-z0-9-]+$/,
    patternText: "lowercase letters, digits and hyphens",
    extra: [hyphenEnds, noDoubleHyphen],
});
/** VPC Lattice CreateService: name 3-40, not starting "svc-", no leading, trailing or double hyphen. */
export const LATTICE_SERVICE = rule("a VPC Lattice service name", {
    min: 3,
    max: 40,
    pattern: /^[a-z0-9-]+$/,
    patternText: "lowercase letters, digits and hyphens",
    extra: [hyphenEnds, noDoubleHyphen, noPrefix("svc-", "VPC Lattice for service ids")],
});
/** VPC Lattice CreateTargetGroup: name 3-128, not starting "tg-", no leading, trailing or double hyphen. */
export const LATTICE_TARGET_GROUP = rule("a VPC Lattice target group name", {
    min: 3,
    max: 128,
    pattern: /^[a-z0-9-]+$/,
    patternText: "lowercase letters, digits and hyphens",
    extra: [hyphenEnds, noDoubleHyphen, noPrefix("tg-", "VPC Lattice for target group ids")],
});

/** Kubernetes: namespaces and most object names are DNS-1123 labels (63 lowercase alphanumerics or "-", alphanumeric at both ends). */
export const K8S_LABEL_NAME = rule("a Kubernetes name (DNS-1123 label)", {
    max: 63,
    pattern: DNS_LABEL,
    patternText: "lowercase letters, digits and '-', starting and ending with a letter or digit",
});
/** Kubernetes: Service names are DNS-1035 labels (a DNS-1123 label starting with a letter). */
export const K8S_SERVICE_NAME = rule("a Kubernetes Service name (DNS-1035 label)", {
    max: 63,
    pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
    patternText: "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
});
/** Kubernetes: object names such as Gateways, HTTPRoutes and PersistentVolumes are DNS-1123 subdomains. */
export const K8S_SUBDOMAIN_NAME = rule("a Kubernetes object name (DNS-1123 subdomain)", {
    max: 253,
    pattern: DNS_SUBDOMAIN,
    patternText: "lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit",
});

/** Kubernetes label and taint keys: an optional DNS-1123 subdomain prefix of at most 253, "/", and a name of at most 63. */
export const K8S_LABEL_KEY: NameRule = {
    what: "a Kubernetes label key",
    check(key: string): string[] {
        const slash = key.lastIndexOf("/");
        const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
        const name = slash >= 0 ? key.slice(slash + 1) : key;
        const broken: string[] = [];
        if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
            broken.push(`has the prefix "${prefix}", which must be a DNS-1123 subdomain of at most 253 characters (lowercase letters, digits, '-' and '.')`);
        }
        if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
            broken.push(`has the name "${name}", which must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
        }
        return broken;
    },
};
/** Kubernetes label values: empty, or at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends. */
export const K8S_LABEL_VALUE = rule("a Kubernetes label value", {
    min: 0,
    max: 63,
    pattern: /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/,
    patternText: "letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
});

/** The problems of the names a configuration produces, each naming the setting it comes from. */
export function nameProblems(uses: NameUse[]): ConfigProblem[] {
    return uses.flatMap((use) => {
        const broken = use.rule.check(use.name);
        if (broken.length === 0) {
            return [];
        }
        const made = use.composedAs ? ` (${use.composedAs})` : "";
        const subject =
            use.name === use.value && !use.composedAs ? `as ${use.rule.what}, it` : `becomes ${use.rule.what} ${JSON.stringify(use.name)}${made}, which`;
        const listed = broken.length > 1 ? `${broken.slice(0, -1).join(", ")} and ${broken[broken.length - 1]}` : broken[0];
        return [{ path: use.path, value: use.value, message: `${subject} ${listed}${use.remedy ? `; ${use.remedy}` : ""}` }];
    });
}
