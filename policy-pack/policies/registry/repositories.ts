import { conditionKeys, isAllow, principalsOf, statementLabel, statementsOf } from "../../lib/iam";
import { resourceGuardrail, stackGuardrail } from "../../lib/policy";
import { resourcesOfType } from "../../lib/stack";
import { decideEach } from "../../lib/unknown";
import { asArray, matchesWildcard } from "../../lib/values";

const REPOSITORY = "aws:ecr/repository:Repository";
/** What a pull-through cache or replication creates repositories from: its settings are theirs. */
const CREATION_TEMPLATE = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate";
const REPOSITORY_POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";
const SCANNING_CONFIGURATION = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration";

export const ecrImageScanning = stackGuardrail({
    name: "ecr-image-scanning",
    description: "Every ECR repository scans its images: on push (imageScanningConfiguration.scanOnPush), or through a registry scanning rule that covers it.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_163", "AVD-AWS-0030"],
    remediation:
        "Set imageScanningConfiguration: { scanOnPush: true } on the repository (registry.repositories do), or give the account's registry scanning " +
        "configuration a rule whose filter matches it (registry.scanning: enhanced).",
    validate: (stack, _config, report) => {
        const filters = resourcesOfType(stack, SCANNING_CONFIGURATION).flatMap((configuration) =>
            asArray(configuration.props.rules as { repositoryFilters?: { filter?: string }[] }[] | undefined).flatMap((rule) =>
                asArray(rule.repositoryFilters).map((filter) => String(filter.filter)),
            ),
        );
        decideEach(resourcesOfType(stack, REPOSITORY), (repository) => {
            const name = String(repository.props.name ?? repository.name);
            const scanOnPush = (repository.props.imageScanningConfiguration as { scanOnPush?: boolean } | undefined)?.scanOnPush === true;
            if (!scanOnPush && !filters.some((filter) => matchesWildcard(filter, name))) {
                report(`Repository ${name} does not scan images on push, and no registry scanning rule covers it.`, repository.urn);
            }
        });
    },
});

export const ecrTagsImmutable = resourceGuardrail({
    name: "ecr-tags-immutable",
    description:
        "ECR repositories, and the templates ECR creates repositories from, keep image tags immutable: a tag always names the image first pushed under it.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_51", "AVD-AWS-0031"],
    remediation: 'Set imageTagMutability: "IMMUTABLE" and push every build under a new tag.',
    resourceTypes: [REPOSITORY, CREATION_TEMPLATE],
    validate: (resource, _config, report) => {
        const mutability = resource.props.imageTagMutability as string | undefined;
        if (mutability !== "IMMUTABLE") {
            report(`imageTagMutability is ${mutability ?? "not set (MUTABLE)"}: tags can be moved to another image.`);
        }
    },
});

export const ecrEncryptedWithCustomerKey = resourceGuardrail({
    name: "ecr-encrypted-with-customer-key",
    description: "ECR repositories, and the templates ECR creates repositories from, encrypt images with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_136", "AVD-AWS-0033"],
    remediation: 'Set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <the platform key ARN> }] (the platform does).',
    resourceTypes: [REPOSITORY, CREATION_TEMPLATE],
    validate: (resource, _config, report) => {
        const [encryption] = asArray(resource.props.encryptionConfigurations as { encryptionType?: string; kmsKey?: string }[] | undefined);
        if (encryption?.encryptionType !== "KMS") {
            report(`Images are encrypted with ${encryption?.encryptionType ?? "AES256 (the default)"}, not a KMS key.`);
        } else if (!encryption.kmsKey) {
            report("Images are encrypted with the AWS managed key aws/ecr, not a customer-managed key.");
        }
    },
});

/** Conditions that limit a `*` principal to an account or an organisation (IAM global condition keys). */
const CALLER_LIMITING_KEYS = ["aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:sourceaccount", "aws:sourceorgid"];

export const ecrRepositoryPolicyNotPublic = resourceGuardrail({
    name: "ecr-repository-policy-not-public",
    description:
        "No ECR repository policy (or creation template policy) lets anyone pull or push: a statement allowing the principal * must be limited to an account or organisation by a condition.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_32", "AVD-AWS-0032"],
    remediation:
        "Name the account's roles (or its root, arn:aws:iam::<account>:root) as principals, as registry.repositories do; or limit the statement " +
        "with aws:PrincipalAccount or aws:PrincipalOrgID.",
    resourceTypes: [REPOSITORY_POLICY, CREATION_TEMPLATE],
    validate: (resource, _config, report) => {
        const document: unknown = resource.type === REPOSITORY_POLICY ? resource.props.policy : resource.props.repositoryPolicy;
        if (document === undefined) {
            return;
        }
        (statementsOf(document) ?? []).forEach((statement, index) => {
            const anyone = principalsOf(statement).includes("AWS:*");
            if (isAllow(statement) && anyone && !conditionKeys(statement).some((key) => CALLER_LIMITING_KEYS.includes(key))) {
                report(`${statementLabel(statement, index)} allows ${asArray(statement.Action).join(", ")} to any principal.`);
            }
        });
    },
});
