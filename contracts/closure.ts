// Re-export shim for the capacity-change procedure's imports; it goes when capacityChange is converted.
export * from '../workflows/closure/contract';
