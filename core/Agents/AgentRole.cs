namespace Workforce.Core.Agents;

public enum AgentRole
{
    Operational = 0,
    Tactical = 1,
    Strategic = 2,
}
