/** The offline simulated venues used by --demo (and, later, paper fills). */
export interface SimulatedSettings {
  /** Seed of the deterministic random walk: same seed, same markets and books. */
  readonly seed: number;
  /** Milliseconds of simulated time between book moves. */
  readonly tickMs: number;
  /** Probability in [0, 1] that a planted pair's books cross on a tick. */
  readonly crossProbability: number;
}

export const DEFAULT_SIMULATED_SETTINGS: SimulatedSettings = {
  seed: 42,
  tickMs: 5_000,
  crossProbability: 0.03,
};
