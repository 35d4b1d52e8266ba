/**
 * Which NVIDIA GPUs this process can use, by their device files (/dev/nvidia0, /dev/nvidia1…:
 * the driver makes one per GPU, and the NVIDIA container runtime passes exactly the granted
 * ones into a container). tfjs-node-gpu loads without any, and TensorFlow then runs on the CPU
 * while the backend still calls itself 'tensorflow-gpu'; this is how the orchestrator knows.
 */
import { readdir } from 'node:fs/promises';

export async function visibleNvidiaGpus(devDir = '/dev'): Promise<string[]> {
  try {
    const names = await readdir(devDir);
    return names.filter((n) => /^nvidia\d+$/.test(n)).sort();
  } catch {
    return [];
  }
}
