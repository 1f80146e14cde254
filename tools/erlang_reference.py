#!/usr/bin/env python3
"""Reference values of Erlang C for the staffing test (sql/staffing.sql).

An independent computation of what mycc.erlang_c and mycc.service_level
compute: the textbook formula itself,

    C(N, A) = (A^N / N! * N / (N - A)) / (sum_{k<N} A^k / k! + A^N / N! * N / (N - A))

in exact rational arithmetic (fractions: no rounding, no overflow, whatever
N), where mycc runs the Erlang B recursion in doubles.  The service level
1 - C exp(-(N - A) t / h) is then evaluated with 40 significant digits
(decimal), and the agents needed found by bisection on it.  Prints the rows
of the test's two reference tables.

Run: python3 tools/erlang_reference.py
"""
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 40

# (agents, arrivals per hour, handle seconds, target seconds): small
# centers, a classic 80/20 case, a load near its agents, and large centers
# (beyond 1,000 agents, where A^N / N! overflows a double by far).
CASES = [
    (1, 30, 60, 20),
    (2, 60, 90, 20),
    (5, 100, 120, 30),
    (11, 200, 180, 20),
    (14, 200, 180, 20),
    (55, 720, 240, 15),
    (100, 3000, 114, 20),
    (250, 8500, 100, 10),
    (1050, 36720, 100, 20),
    (1500, 52920, 100, 20),
    (3000, 106200, 100, 15),
]

# (arrivals per hour, handle seconds, target seconds, goal): the smallest
# number of agents whose service level reaches the goal.
NEEDED = [
    (200, 180, 20, 0.8),
    (720, 240, 15, 0.8),
    (3000, 114, 20, 0.9),
    (36720, 100, 20, 0.8),
    (106200, 100, 15, 0.95),
]


def erlang_c(agents, load):
    """Exact Erlang C of agents under a rational load (load < agents)."""
    term = Fraction(1)
    total = Fraction(0)
    for k in range(agents):
        total += term
        term = term * load / (k + 1)
    last = term * agents / (agents - load)
    return last / (total + last)


def decimal(fraction):
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


def service_level(agents, per_hour, handle, target):
    """Erlang C and the service level, to 40 digits."""
    load = Fraction(per_hour) * Fraction(handle) / 3600
    if load >= agents:
        return Decimal(1), Decimal(0)
    c = decimal(erlang_c(agents, load))
    exponent = -(agents - decimal(load)) * target / handle
    return c, 1 - c * exponent.exp()


def agents_needed(per_hour, handle, target, goal):
    """The smallest agents with service level >= goal (a bisection)."""
    low = 0
    high = 1
    while service_level(high, per_hour, handle, target)[1] < Decimal(str(goal)):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        if service_level(middle, per_hour, handle, target)[1] < Decimal(str(goal)):
            low = middle
        else:
            high = middle
    return high


def main():
    print("-- (agents, arrivals_per_hour, handle_seconds, target_seconds, erlang_c, service_level)")
    for agents, per_hour, handle, target in CASES:
        c, level = service_level(agents, per_hour, handle, target)
        print(f"\t({agents}, {per_hour}, {handle}, {target}, {c:.17e}, {level:.17e}),")
    print("-- (arrivals_per_hour, handle_seconds, target_seconds, goal, agents_needed)")
    for per_hour, handle, target, goal in NEEDED:
        print(f"\t({per_hour}, {handle}, {target}, {goal}, {agents_needed(per_hour, handle, target, goal)}),")


if __name__ == "__main__":
    main()
