import { resourceGuardrail } from "../../lib/policy";
import { stringAt } from "../../lib/values";

export const transitGatewayNoAutoAccept = resourceGuardrail({
    name: "transit-gateway-no-auto-accept",
    description:
        "A Transit Gateway never accepts attachments from accounts it is shared with automatically: each attachment, and so each network joined to the route tables, is accepted on purpose.",
    enforcementLevel: "mandatory",
    controls: ["CKV_AWS_331"],
    remediation: 'Set autoAcceptSharedAttachments: "disable" (the default) and accept each shared attachment with aws.ec2transitgateway.VpcAttachmentAccepter.',
    resourceTypes: ["aws:ec2transitgateway/transitGateway:TransitGateway"],
    validate: (gateway, _config, report) => {
        if (stringAt(gateway.props, "autoAcceptSharedAttachments") === "enable") {
            report('autoAcceptSharedAttachments is "enable": any account the gateway is shared with can attach a VPC without review.');
        }
    },
});
