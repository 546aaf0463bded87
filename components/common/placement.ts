/**
 * Topology spread for a highly available platform controller: one replica per zone while the zones
 * have room (a zone short of capacity must not block a rollout), and never two on one node (a node
 * drain or failure takes at most one).
 */
export function spreadOverZonesAndNodes(matchLabels: Record<string, string>) {
    return [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels } },
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels } },
    ];
}
