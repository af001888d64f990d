/** Thrown when a test in the unit lane starts a service: the lane rule (test/runner/service-modules.ts) missed it. */
export class ServiceInUnitLaneError extends Error {
  readonly code = 'SERVICE_IN_UNIT_LANE';
  constructor(service: string) {
    super(
      `${service} started from a test in the unit lane (AI4K8S_TEST_LANE=unit). The unit lane has no services: ` +
        'import the service through its support module (listed in test/runner/service-modules.ts) so the runner puts the file in the service lane.',
    );
    this.name = 'ServiceInUnitLaneError';
  }
}

/** Called by every service starter: `npm test` runs the unit lane with AI4K8S_TEST_LANE=unit and no service addresses. */
export function refuseInUnitLane(service: string): void {
  if (process.env.AI4K8S_TEST_LANE === 'unit') throw new ServiceInUnitLaneError(service);
}
