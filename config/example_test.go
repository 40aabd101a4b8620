package config_test

import (
	"fmt"
	"os"

	"github.com/pltv/pltv/config"
)

func ExampleLoad() {
	environ := map[string]string{"MAX_TASKS_PER_POLL": "20"} // os.LookupEnv in a real program
	lookup := func(key string) (string, bool) { v, ok := environ[key]; return v, ok }

	c, err := config.Load("testdata/full/pltv.yaml", lookup)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.CollectionName("long_running_tasks"))
	fmt.Println(c.LTVDataset().Shard("predictions", "20200511"))
	fmt.Println(c.MaxTasksPerPoll, c.StopModelWaiting, c.DataSourceDailyTxPoller, c.Timezone)
	// Output:
	// food_pltv-eu_long_running_tasks
	// customer-project.ltv_ml.predictions_20200511
	// 20 15m0s 0 6 * * * America/New_York
}

func ExampleRunCheck() {
	err := config.RunCheck(os.Stdout, "testdata/invalid.yaml", nil)
	fmt.Println(err)
	// Output:
	// testdata/invalid.yaml:3: MAX_TASK_PER_POLL: unknown setting; did you mean MAX_TASKS_PER_POLL?
	// testdata/invalid.yaml:4: STOP_MODEL_WAITING_MINUTES: want a whole number, got "30m"
	// testdata/invalid.yaml:5: LONG_RUNNING_TASKS_POLLER_CONFIG: invalid cron schedule "*/2 * * *": expected exactly 5 fields, found 4: [*/2 * * *]
	// testdata/invalid.yaml: DEFAULT_GCP_PROJECT: required when RUNTIME is cloud (RUNTIME set at testdata/invalid.yaml:2)
	// testdata/invalid.yaml: BQ_LTV_GCP_PROJECT: required when RUNTIME is cloud (RUNTIME set at testdata/invalid.yaml:2)
	// config check: 5 problems
}
