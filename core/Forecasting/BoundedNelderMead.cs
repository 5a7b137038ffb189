namespace Workforce.Core.Forecasting;

/// <summary>
/// Nelder-Mead on the unit box [0, 1]^k, every trial point clamped into it. Written here rather than taken from
/// MathNet.Numerics because its simplex search throws when it runs out of iterations (losing the best point found),
/// knows no bounds and cannot be held to an evaluation budget — and the budget is what keeps training cheap.
/// </summary>
internal static class BoundedNelderMead
{
    public readonly record struct Minimum(double[] Point, double Value, int Evaluations);

    public static Minimum Minimise(Func<double[], double> objective, double[] start, int maximumEvaluations, double step = 0.1, double tolerance = 1e-9)
    {
        var k = start.Length;
        var points = new double[k + 1][];
        var values = new double[k + 1];
        var evaluations = 0;
        double Evaluate(double[] x)
        {
            evaluations++;
            var value = objective(x);
            return double.IsNaN(value) ? double.PositiveInfinity : value;
        }

        points[0] = Clamp((double[])start.Clone());
        values[0] = Evaluate(points[0]);
        for (var i = 0; i < k; i++)
        {
            var vertex = (double[])points[0].Clone();
            vertex[i] = vertex[i] + step <= 1 ? vertex[i] + step : vertex[i] - step;
            points[i + 1] = Clamp(vertex);
            values[i + 1] = Evaluate(points[i + 1]);
        }

        var order = new int[k + 1];
        var centroid = new double[k];
        while (evaluations < maximumEvaluations)
        {
            for (var i = 0; i <= k; i++)
            {
                order[i] = i;
            }
            Array.Sort(order, (a, b) => values[a].CompareTo(values[b]));
            int best = order[0], worst = order[k], secondWorst = order[k - 1];
            if (Math.Abs(values[worst] - values[best]) <= tolerance * (Math.Abs(values[best]) + tolerance))
            {
                break;
            }

            Array.Clear(centroid);
            for (var i = 0; i < k; i++)
            {
                var p = points[order[i]];
                for (var j = 0; j < k; j++)
                {
                    centroid[j] += p[j] / k;
                }
            }

            var reflected = Toward(centroid, points[worst], -1);
            var reflectedValue = Evaluate(reflected);
            if (reflectedValue < values[best])
            {
                var expanded = Toward(centroid, points[worst], -2);
                var expandedValue = Evaluate(expanded);
                (points[worst], values[worst]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue);
            }
            else if (reflectedValue < values[secondWorst])
            {
                (points[worst], values[worst]) = (reflected, reflectedValue);
            }
            else
            {
                var contracted = reflectedValue < values[worst] ? Toward(centroid, reflected, 0.5) : Toward(centroid, points[worst], 0.5);
                var contractedValue = Evaluate(contracted);
                if (contractedValue < Math.Min(values[worst], reflectedValue))
                {
                    (points[worst], values[worst]) = (contracted, contractedValue);
                }
                else
                {
                    // Shrink towards the best vertex.
                    for (var i = 1; i <= k; i++)
                    {
                        var index = order[i];
                        points[index] = Toward(points[best], points[index], 0.5);
                        values[index] = Evaluate(points[index]);
                    }
                }
            }
        }

        var winner = 0;
        for (var i = 1; i <= k; i++)
        {
            if (values[i] < values[winner])
            {
                winner = i;
            }
        }
        return new Minimum(points[winner], values[winner], evaluations);
    }

    /// <summary>from + factor · (to − from), clamped into the box.</summary>
    private static double[] Toward(double[] from, double[] to, double factor)
    {
        var result = new double[from.Length];
        for (var j = 0; j < from.Length; j++)
        {
            result[j] = from[j] + factor * (to[j] - from[j]);
        }
        return Clamp(result);
    }

    private static double[] Clamp(double[] x)
    {
        for (var j = 0; j < x.Length; j++)
        {
            x[j] = Math.Clamp(x[j], 0, 1);
        }
        return x;
    }
}
