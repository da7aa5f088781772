"""The item catalogue (检查事项清单): what each unit may inspect, versioned and published."""
