package local

import "testing"

// TestSourceFilesDefaultsToTheShippedData: init and demo need no --source on a bare clone.
func TestSourceFilesDefaultsToTheShippedData(t *testing.T) {
	files, err := SourceFiles("")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 305 || files[0].Date != "20101201" || files[len(files)-1].Date != "20111209" {
		t.Fatalf("got %d files %s..%s, want 305 files 20101201..20111209", len(files), files[0].Date, files[len(files)-1].Date)
	}
}
