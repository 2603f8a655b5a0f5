// Host <-> core buffers: the host asks for a block, writes into it, and frees it when done.
export function alloc(size: u32): usize {
  return heap.alloc(<usize>size);
}

export function free(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}
