// The entry of the floor's process (see fork-floor.ts): serves the floor with as many products as
// its argument says, tells its parent { url } once it serves, answers { cpuMicroseconds } to a
// 'cpu' message (the CPU time it has used so far) and closes on SIGTERM.
import { startFloor } from './floor-server.js';

const products = Number(process.argv[2]);
if (!Number.isInteger(products) || products < 1) throw new Error('the number of products is required');
const floor = await startFloor(products);
process.on('message', (message) => {
  if (message !== 'cpu') return;
  const cpu = process.cpuUsage();
  process.send?.({ cpuMicroseconds: cpu.user + cpu.system });
});
process.once('SIGTERM', () => {
  floor.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.send?.({ url: floor.url });
