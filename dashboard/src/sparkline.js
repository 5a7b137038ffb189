// A tiny inline SVG line of the last samples; the latest value is also written out next to it, so the line is
// decoration for sighted users and the number is what screen readers get.
const svgNs = 'http://www.w3.org/2000/svg';

export function sparkline(values, max) {
  const width = 100;
  const height = 24;
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('sparkline');
  if (values.length > 0) {
    // A single sample is drawn as a level line, so a card shows something from the first report on.
    const samples = values.length === 1 ? [values[0], values[0]] : values;
    const top = Math.max(max ?? 0, ...samples, 1);
    const step = width / (samples.length - 1);
    const points = samples.map((value, i) => `${(i * step).toFixed(1)},${(height - (value / top) * (height - 2) - 1).toFixed(1)}`);
    const line = document.createElementNS(svgNs, 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.append(line);
  }
  return svg;
}
