// Command drill is a terminal coach for staff-level infrastructure interviews.
package main

import "os"

func main() {
	os.Exit(Main(os.Args[1:]))
}
