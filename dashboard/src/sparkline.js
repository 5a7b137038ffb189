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
  if (values.length > 1) {
    const top = Math.max(max ?? 0, ...values, 1);
    const step = width / (values.length - 1);
    const points = values.map((value, i) => `${(i * step).toFixed(1)},${(height - (value / top) * (height - 2) - 1).toFixed(1)}`);
    const line = document.createElementNS(svgNs, 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.append(line);
  }
  return svg;
}
