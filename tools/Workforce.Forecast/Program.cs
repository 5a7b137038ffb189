using Workforce.Forecast;

return ForecastCommand.Run(args, Console.Out, Console.Error);
