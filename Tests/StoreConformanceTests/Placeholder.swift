// Tests of StoreConformance.
