// Package cost puts a chaos experiment's price next to the confidence it
// buys: the opportunity lost while the fault runs plus the engineering
// time (Compute), and the share of the service's error budget the run
// consumed (BudgetConsumption against an ErrorBudget).
//
//	c, err := cost.Compute(cost.Inputs{LossRate: 3.2, UnitRevenue: 0.5,
//		Duration: time.Hour, EngineeringHours: 6, HourlyCost: 120})
//	// c.Total, c.Opportunity, c.Engineering
package cost
