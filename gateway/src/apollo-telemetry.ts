/**
 * Apollo's gateway reports the machine it runs on to Apollo every hour (CPU count and frequency,
 * memory, OS, and the cloud it finds by probing the clouds' metadata addresses as it starts) unless
 * APOLLO_TELEMETRY_DISABLED is true. The graph sends nothing to a third party unless asked: unset,
 * it counts as true; APOLLO_TELEMETRY_DISABLED=false opts in. The OpenTelemetry modules behind the
 * report load only when it is made (patches/@apollo__gateway@2.14.4.patch; README, "Dependencies
 * patched"). Called before each ApolloGateway is made.
 */
export function keepApolloTelemetryOffUnlessAsked(): void {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
}
