// The floor (bench/floor) stands for the cheapest possible answer to each storefront read; it is a
// fair yardstick only while it answers as much as the real graph does. Each read goes to the
// shared test graph, over a store seeded as the benchmark seeds its own, and to the floor.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Answer, answerShapeDifferences } from '../floor/answer-shape.js';
import { type RunningFloor, startFloor } from '../floor/floor-server.js';
import { seedBenchCatalog } from '../seed-catalog.js';
import { SCENARIOS } from '../storefront-reads.js';

// Enough for full pages: 24 products in the listing and 24 titles starting with each search word.
const PRODUCTS = 200;

const slug = `bench-${randomUUID().slice(0, 8)}`;
let floor: RunningFloor;

beforeAll(async () => {
  [floor] = await Promise.all([startFloor(PRODUCTS), seedBenchCatalog(inject('databaseUrl'), slug, PRODUCTS)]);
});

afterAll(async () => {
  await floor?.close();
});

async function ask(url: string, body: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-store': slug },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Answer;
}

describe('the benchmark floor', () => {
  it.each(SCENARIOS)('answers the $read read in the shape and size of the real graph', async (scenario) => {
    const [body] = scenario.bodies;
    const [real, floorAnswer] = await Promise.all([ask(inject('graphUrl'), body), ask(floor.url, body)]);
    expect(answerShapeDifferences(real, floorAnswer)).toEqual([]);
  });
});
