#pragma once

// DataGenerator is declared beside DemoSeeder: both build the same kind of data set.
#include "demoseeder.h"
