// The unit the per-address login throttle counts: one IPv4 address, or one IPv6 /64 (a single client is
// usually handed a whole /64 and can pick any address in it).
import { isIPv4, isIPv6 } from 'node:net';

function expandIpv6(address: string): string[] | null {
  const [head = '', tail, ...rest] = address.split('::');
  if (rest.length > 0) return null;
  const parts = (s: string) => (s === '' ? [] : s.split(':'));
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  return [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
}

export function throttleBlock(address: string): string {
  const plain = address.split('%')[0] ?? address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(plain) || !isIPv6(plain) || plain.includes('.')) return plain;
  const groups = expandIpv6(plain);
  if (!groups) return plain;
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
