/** What the engine says about one lead at one moment. */
export interface ScoreResult {
  /** Lead Score, an integer 0–100. */
  score: number;
  /** The profile part, 0–100. */
  fit: number;
  /** The behaviour part, 0–100. */
  engagement: number;
  tier: Tier;
  /** Suggested lifecycle stage from `lifecycle.mql` / `lifecycle.sql`, or null below both. */
  lifecycle: 'MQL' | 'SQL' | null;
  /** Each rule that fired, with its signed points in its part, biggest first. */
  reasons: Reason[];
  /** The model id from scoring.yaml. */
  model: string;
  /** The earliest future time (epoch ms) at which the score changes by itself, or null if it never will. */
  nextChangeAt: number | null;
}

export type Tier = 'hot' | 'warm' | 'cold';
export type Part = 'fit' | 'engagement';

export interface Reason {
  /** The rule id, or `group:<id>` for a group cap. */
  rule: string;
  /** The label the admin wrote. */
  label: string;
  /** Signed integer points the rule adds to its part (after decay and caps). */
  points: number;
  part: Part;
}
