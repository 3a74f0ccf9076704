"""What a process needs to run the use cases: settings, the container every entry point builds (engine,
unit-of-work factories, clock, evidence store), the clock, logging, and the working-day calendar."""
