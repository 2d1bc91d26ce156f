import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A small live line chart (uPlot): x = seconds since epoch, one or more series. */
export function Chart({ title, series, data }: { title: string; series: string[]; data: number[][] }) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const colors = ['#2563eb', '#dc2626', '#16a34a'];
    plot.current = new uPlot(
      {
        title,
        width: 420,
        height: 180,
        series: [{}, ...series.map((label, i) => ({ label, stroke: colors[i % colors.length], width: 2 }))],
        axes: [{}, { size: 60 }],
      },
      data as uPlot.AlignedData,
      el.current!,
    );
    return () => plot.current?.destroy();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);
  // the newest point of each series, for people reading the page's source and for the e2e test
  const last = data.slice(1).map((column) => (column.length ? column[column.length - 1] : ''));
  return <div className="chart" ref={el} data-chart={title} data-last={last.join(',')} />;
}
