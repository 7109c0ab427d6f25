"""The map's core (一张图): GB/T 2260 division codes, point coordinates, and which indicators a
city may total from its districts.  Pure: values in, values out."""
