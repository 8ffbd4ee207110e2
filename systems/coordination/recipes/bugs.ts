// The master-election recipe's bug switches (the ensemble's own live in bugs.ts). Plain data:
// systems/ may not import scenarios/, whose BugSwitch has the same shape.

export const MASTER_NO_FENCING = "master-no-fencing";
export const LEASE_IGNORES_DRIFT = "lease-ignores-drift";

export const RECIPE_BUGS = [
  {
    name: MASTER_NO_FENCING,
    description: "the protected resource ignores fencing tokens: a master deposed while paused overwrites its successor",
    breaks: "M2 fencing",
  },
  {
    name: LEASE_IGNORES_DRIFT,
    description: "the master's lease has no margin for clock drift: a slow clock keeps an expired master acting",
    breaks: "M1 single master",
  },
] as const;
