/*
 * staffing.c
 *		Staffing with Erlang C (docs/routing.md#staffing): the probability
 *		that a contact waits, the service level of a number of agents, and
 *		the fewest agents that reach a service level goal.
 *
 * The model is M/M/N (Erlang's delay system): contacts arrive at random
 * (Poisson, lambda an hour), each holds an agent for an exponentially
 * distributed time of mean h seconds, N agents serve one queue in order of
 * arrival, and nobody gives up.  The offered load is A = lambda h / 3600
 * erlangs.  With A < N:
 *		B(0) = 1,  B(n) = A B(n-1) / (n + A B(n-1))	(Erlang B, n = 1 .. N)
 *		C = N B(N) / (N - A (1 - B(N)))					(Erlang C: P(wait > 0))
 *		SL(t) = 1 - C exp(-(N - A) t / h)				(P(wait <= t))
 * The recursion never forms A^N or N!: every B(n) is in [0, 1], so it is
 * exact to rounding for any N (the textbook sum of A^k / k! overflows a
 * double from N = 171 on).  With A >= N there is no steady state: the queue
 * grows without bound, so every contact waits (C = 1) and the share
 * answered within any target tends to 0 (SL = 0).  With no load (no
 * arrivals, or no handle time) nobody waits: C = 0, SL = 1, and no agent is
 * needed.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "miscadmin.h"

/*
 * The most agents a computation goes to: the recursion takes one step per
 * agent.  No queue is staffed by a million agents.
 */
#define MYCC_STAFFING_MAX_AGENTS 1000000

/* Erlang B of n agents under a load, advanced one agent at a time. */
typedef struct ErlangB
{
	double		load;			/* offered load A, erlangs */
	int			agents;			/* n */
	double		blocking;		/* B(n) */
} ErlangB;

/* Rejects a NaN, infinite or negative argument (22023). */
static double
staffing_check_amount(double value, const char *name)
{
	if (!(value >= 0.0 && isfinite(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is out of range", name, value),
				 errdetail("It is a finite number, 0 or more.")));
	return value;
}

/* Rejects a negative count of agents (22023) or one over the limit (54000). */
static int
staffing_check_agents(int agents)
{
	if (agents < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("agents %d is out of range", agents),
				 errdetail("A number of agents is 0 or more.")));
	if (agents > MYCC_STAFFING_MAX_AGENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("agents %d is more than the %d agents a staffing computation handles",
						agents, MYCC_STAFFING_MAX_AGENTS)));
	return agents;
}

/* Offered load in erlangs: arrivals an hour times handle seconds / 3600. */
static double
staffing_load(double arrivals_per_hour, double handle_seconds)
{
	double		load;

	staffing_check_amount(arrivals_per_hour, "arrivals_per_hour");
	staffing_check_amount(handle_seconds, "handle_seconds");
	load = arrivals_per_hour / 3600.0 * handle_seconds;
	if (isinf(load))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("offered load of %g arrivals an hour of %g seconds each is out of range",
						arrivals_per_hour, handle_seconds)));
	return load;
}

/* Erlang B of 0 agents: every contact finds them all busy. */
static ErlangB
erlang_b_start(double load)
{
	ErlangB		b = {load, 0, 1.0};

	return b;
}

/* One more agent: B(n) from B(n-1). */
static void
erlang_b_step(ErlangB *b)
{
	double		carried = b->load * b->blocking;

	CHECK_FOR_INTERRUPTS();
	b->agents++;
	b->blocking = carried / ((double) b->agents + carried);
}

/* Erlang C of b's agents: the probability that a contact waits. */
static double
erlang_c_of(const ErlangB *b)
{
	double		n = (double) b->agents;

	if (b->load == 0.0)
		return 0.0;
	if (b->load >= n)
		return 1.0;
	return n * b->blocking / (n - b->load * (1.0 - b->blocking));
}

/* Share answered within target seconds by b's agents, of handle seconds. */
static double
service_level_of(const ErlangB *b, double handle_seconds, double target_seconds)
{
	double		waits = erlang_c_of(b);
	double		level;

	if (waits == 0.0)
		return 1.0;
	if (b->load >= (double) b->agents)
		return 0.0;
	level = 1.0 - waits * exp(-((double) b->agents - b->load) * target_seconds / handle_seconds);
	return Max(0.0, Min(1.0, level));
}

/* Erlang B of a number of agents under a load. */
static ErlangB
erlang_b(int agents, double load)
{
	ErlangB		b = erlang_b_start(load);

	while (b.agents < agents)
		erlang_b_step(&b);
	return b;
}

PG_FUNCTION_INFO_V1(mycc_offered_load);
/* offered_load(arrivals_per_hour, handle_seconds): the load in erlangs. */
Datum
mycc_offered_load(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(staffing_load(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1)));
}

PG_FUNCTION_INFO_V1(mycc_erlang_c);
/* erlang_c(agents, arrivals_per_hour, handle_seconds): P(a contact waits). */
Datum
mycc_erlang_c(PG_FUNCTION_ARGS)
{
	int			agents = staffing_check_agents(PG_GETARG_INT32(0));
	double		load = staffing_load(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
	ErlangB		b = erlang_b(agents, load);

	PG_RETURN_FLOAT8(erlang_c_of(&b));
}

PG_FUNCTION_INFO_V1(mycc_service_level);
/*
 * service_level(agents, arrivals_per_hour, handle_seconds, target_seconds):
 * the share of contacts answered within the target.
 */
Datum
mycc_service_level(PG_FUNCTION_ARGS)
{
	int			agents = staffing_check_agents(PG_GETARG_INT32(0));
	double		load = staffing_load(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
	double		target = staffing_check_amount(PG_GETARG_FLOAT8(3), "target_seconds");
	ErlangB		b = erlang_b(agents, load);

	PG_RETURN_FLOAT8(service_level_of(&b, PG_GETARG_FLOAT8(2), target));
}

PG_FUNCTION_INFO_V1(mycc_agents_needed);
/*
 * agents_needed(arrivals_per_hour, handle_seconds, target_seconds, goal):
 * the smallest number of agents whose service level reaches the goal.  The
 * service level grows with the agents, so the first count that reaches the
 * goal, walking up from none, is the smallest; one recursion serves the
 * whole walk.
 */
Datum
mycc_agents_needed(PG_FUNCTION_ARGS)
{
	double		handle = PG_GETARG_FLOAT8(1);
	double		load = staffing_load(PG_GETARG_FLOAT8(0), handle);
	double		target = staffing_check_amount(PG_GETARG_FLOAT8(2), "target_seconds");
	double		goal = PG_GETARG_FLOAT8(3);
	ErlangB		b = erlang_b_start(load);

	if (!(goal > 0.0 && goal < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("service level goal %g is out of range", goal),
				 errdetail("A goal is a share strictly between 0 and 1, such as 0.8 for 80%%.")));
	while (service_level_of(&b, handle, target) < goal)
	{
		if (b.agents >= MYCC_STAFFING_MAX_AGENTS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a load of %g erlangs needs more than the %d agents a staffing computation handles",
							load, MYCC_STAFFING_MAX_AGENTS)));
		erlang_b_step(&b);
	}
	PG_RETURN_INT32(b.agents);
}
