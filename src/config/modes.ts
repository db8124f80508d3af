// The three enforcement modes: words the config file, the Tenant spec and the audit CLI share.
export const MODES = ["Enforce", "Warn", "Audit"] as const;
export type Mode = (typeof MODES)[number];
