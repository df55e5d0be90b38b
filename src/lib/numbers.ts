// Numbers as people read them in tables and messages. Written by hand: Intl and toLocaleString load ICU data on
// first use (~10 ms), which every one-shot command would pay.

/** 1234567 -> "1,234,567" */
export function groupThousands(n: number): string {
  const [whole, fraction] = String(n).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${grouped}.${fraction}` : grouped;
}
