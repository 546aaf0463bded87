import { strict as assert } from "assert";
import {
    clusterAutoscalerImageTag,
    HELM_CHARTS,
    IMAGES,
    KUBERNETES_MINORS,
    KUBERNETES_VERSIONS,
    MANAGED_ADDONS,
    managedAddonVersion,
    MANIFESTS,
    type Pin,
    SERVICE_VERSIONS,
} from "../components/versions";

/** Every pin of the module, named by where it sits. */
function allPins(): [string, Pin][] {
    return [
        ...KUBERNETES_MINORS.map((minor): [string, Pin] => [`kubernetes ${minor.version}`, minor]),
        ...Object.entries(MANAGED_ADDONS).flatMap(([addon, byMinor]) =>
            Object.entries(byMinor).map(([minor, pin]): [string, Pin] => [`${addon} ${minor}`, pin]),
        ),
        ...Object.entries(HELM_CHARTS).map(([name, pin]): [string, Pin] => [`chart ${name}`, pin]),
        ...Object.entries(MANIFESTS).map(([name, pin]): [string, Pin] => [`manifest ${name}`, pin]),
        ...Object.entries(IMAGES.clusterAutoscaler).map(([minor, pin]): [string, Pin] => [`cluster-autoscaler image ${minor}`, pin]),
        ["sample workload image", IMAGES.sampleWorkload],
        ...Object.entries(SERVICE_VERSIONS).map(([name, pin]): [string, Pin] => [`service ${name}`, pin]),
    ];
}

describe("Version pins", () => {
    it("record where every version was read and the day it was checked", () => {
        for (const [where, pin] of allPins()) {
            assert.ok(pin.version.length > 0, where);
            assert.ok(pin.source.length >= 20, `${where}: the source must say where to re-check the version`);
            assert.match(pin.checked, /^\d{4}-\d{2}-\d{2}$/, where);
            assert.ok(!Number.isNaN(Date.parse(pin.checked)), `${where}: ${pin.checked} is not a date`);
        }
    });

    it("pin every managed add-on for every supported minor as an EKS build", () => {
        for (const [addon, byMinor] of Object.entries(MANAGED_ADDONS)) {
            assert.deepEqual(Object.keys(byMinor).sort(), [...KUBERNETES_VERSIONS].sort(), addon);
            for (const version of KUBERNETES_VERSIONS) {
                assert.match(managedAddonVersion(addon as keyof typeof MANAGED_ADDONS, version), /^v\d+\.\d+\.\d+-eksbuild\.\d+$/, `${addon} ${version}`);
            }
        }
    });

    it("keep the version-bound components on the control plane's minor", () => {
        for (const version of KUBERNETES_VERSIONS) {
            const minor = new RegExp(`^v${version.replace(".", "\\.")}\\.\\d+`);
            assert.match(managedAddonVersion("kube-proxy", version), minor, "kube-proxy");
            assert.match(clusterAutoscalerImageTag(version), minor, "cluster-autoscaler");
        }
    });

    it("list minors oldest first with their end of standard support in order", () => {
        const ends = KUBERNETES_MINORS.map((minor) => minor.endOfStandardSupport);
        assert.deepEqual([...ends].sort(), ends);
        assert.deepEqual(
            KUBERNETES_VERSIONS.map((v) => Number(v.split(".")[1])),
            KUBERNETES_VERSIONS.map((v) => Number(v.split(".")[1])).sort((a, b) => a - b),
        );
    });

    it("refuse a minor nobody pinned, naming the supported ones", () => {
        assert.throws(
            () => managedAddonVersion("vpc-cni", "1.29"),
            /no vpc-cni build pinned for Kubernetes 1\.29 in components\/versions\.ts; supported: 1\.34, 1\.35, 1\.36/,
        );
        assert.throws(() => clusterAutoscalerImageTag("1.20"), /no Cluster Autoscaler release pinned for Kubernetes 1\.20/);
    });
});
