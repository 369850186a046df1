/** Chart descriptions as plain data; the page script turns them into Chart.js charts. */
export interface AxisSpec {
  title: string;
  log?: boolean;
  /** Unit shown in tooltips. */
  unit?: string;
  /** 'category' for labelled bars, 'linear' for numeric x. */
  type?: 'category' | 'linear';
}

export interface DatasetSpec {
  label: string;
  data: (number | null | { x: number; y: number })[];
  type?: 'bar' | 'line' | 'scatter';
  yAxisID?: 'y' | 'y2';
  dashed?: boolean;
  /** Colour index into the palette (stable across charts for the same op). */
  color?: number;
}

export interface ChartSpec {
  id: string;
  title: string;
  kind: 'bar' | 'line' | 'scatter';
  labels?: string[];
  datasets: DatasetSpec[];
  x: AxisSpec;
  y: AxisSpec;
  y2?: AxisSpec;
}

/** Log scale when the data span two orders of magnitude. */
export function wantsLog(values: number[]): boolean {
  const pos = values.filter((v) => v > 0);
  if (pos.length < 2) return false;
  return Math.max(...pos) / Math.min(...pos) >= 100;
}
