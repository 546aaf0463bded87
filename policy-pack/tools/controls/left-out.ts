// Applicable controls the pack deliberately does not implement, each with the reason, by family and
// control ID as the catalog spells it. A test fails when an entry names a control that is not
// applicable or that a rule now implements, so the list only ever holds real decisions.
import type { FamilyName } from "./catalog";

export const LEFT_OUT: Partial<Record<FamilyName, Record<string, string>>> = {};
